# milink-lint in a container, for CI systems that run images (GitLab, Azure Pipelines
# container jobs, Jenkins, …):
#
#   docker build -t milink-lint .
#   docker run --rm -v "$PWD:/src" milink-lint check --params params.toml .
#
# The binary is static (musl), so the image is Alpine plus one file: Alpine rather than
# `scratch` because CI runners start a shell in the job's image. The entry point is the
# tool; in GitLab CI, clear it (`image: {name: …, entrypoint: [""]}`) and call
# `milink-lint` in `script:`.

FROM rust:1-alpine AS build
# Alpine's Rust targets musl: the result needs no libc at run time.
RUN apk add --no-cache musl-dev
WORKDIR /build
COPY Cargo.toml Cargo.lock build.rs README.md LICENSE-MIT LICENSE-APACHE ./
COPY src ./src
COPY rules ./rules
COPY examples ./examples
RUN cargo build --release --locked --bin milink-lint \
    && strip target/release/milink-lint \
    && ./target/release/milink-lint --version

FROM alpine:3
LABEL org.opencontainers.image.title="milink-lint" \
      org.opencontainers.image.description="Offline static analyzer for Azure SQL Managed Instance link T-SQL setup scripts" \
      org.opencontainers.image.source="https://github.com/milink-lint/milink-lint" \
      org.opencontainers.image.licenses="MIT OR Apache-2.0"
COPY --from=build /build/target/release/milink-lint /usr/local/bin/milink-lint
COPY --from=build /build/LICENSE-MIT /build/LICENSE-APACHE /usr/share/doc/milink-lint/
WORKDIR /src
ENTRYPOINT ["milink-lint"]
CMD ["--help"]

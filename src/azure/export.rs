//! Azure link exports (see the module docs of [`crate::azure`]).

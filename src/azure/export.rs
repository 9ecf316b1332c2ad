//! Azure link exports (placeholder until the reader lands).

use super::{AzValue, AzureLink, ExportShape};
use crate::params::ParamsError;
use crate::span::{FileId, Span};

pub struct InstanceExport {
    pub name: AzValue,
    pub fqdn: Option<AzValue>,
    pub span: Span,
}

pub struct Export {
    pub shape: ExportShape,
    pub links: Vec<AzureLink>,
    pub instances: Vec<InstanceExport>,
}

pub fn looks_like_export(_text: &str) -> bool {
    false
}

pub fn parse(_text: &str, _file: FileId) -> Result<Export, ParamsError> {
    Err(ParamsError {
        message: "not implemented".into(),
        span: None,
        help: None,
    })
}

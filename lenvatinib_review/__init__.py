"""Data, validation, table rendering and figure style for the Lenvatinib Resistance book."""

__version__ = "0.3.0"

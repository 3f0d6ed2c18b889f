"""The ERP interface: master data (properties, units, tenants, contracts, responsibilities,
contact persons) imported from files in one directory. The format is documented in
docs/erp-interface.md; the field lists in `format.py` are the one definition the JSON Schemas in
docs/erp/schemas/ are checked against. Base layer: nothing here imports an area app.
"""

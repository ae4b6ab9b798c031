"""The parsing side: spec file -> checked document -> IR.

``loader`` reads and resolves the document (``bundle`` for multi-file specs),
``problems`` skips or refuses the parts that cannot be used, ``shapes`` turns
schemas into IR types, ``operations`` turns paths into IR operations,
``typenames`` names the shapes and ``normalise`` ties them into one ``ir.Api``.
"""

"""Cases in and out of files: :mod:`.importing` and :mod:`.exporting`, and the bulk writing
(:mod:`.bulk`, :mod:`.replay`) that imports and the demo generator share.
"""

"""Building the section: from the site folder to output/, exactly and incrementally.

  builder.py        Builder: what is kept between builds; which path a build takes; write, then search
  pipeline.py       FullBuild: the full build's named phases, settings -> content -> model -> images
                    -> plan -> render -> write (one method and one progress label each)
  fast_path.py      serve's fast path: a save that edits bodies or shown fields only
  incremental.py    classify(old, new) -> Edit; the pages-show-views table; the edited model
  content_cache.py  parsed content files (re-read when changed), in memory and in .cache/
  markdown_cache.py rendered bodies by text and engine, in memory and in .cache/
  link_cache.py     each body placed on its page, and its link warnings
  images.py         the image phase: photos resized into widths and formats, cached by content hash
  workers.py        the worker processes, a page pickled (views as names), the worker's render
  output.py         staging pages, putting them in place, the output record
  search_files.py   the search index's files, written like pages after them
  digests.py        the engine's fingerprint, digests and stamps: how a change is noticed
  result.py         BuildOptions and BuildResult, what the commands see
"""

# The Pelican side of benchmarks/bench.py: the corpus's `pelican` flavour (benchmarks/corpus.py),
# Pelican's own theme (notmyidea), no plugins, 20 items a list page as ours. Pelican 4.12
# (pip install pelican markdown). bench.py adds CACHE_CONTENT and LOAD_CONTENT_CACHE to a copy
# for the "one file touched" run.
AUTHOR = "Văn phòng Sở"
SITENAME = "Cải cách hành chính"
SITEURL = "https://example.gov.vn/cchc"
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
DEFAULT_PAGINATION = 20
PLUGINS = []
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

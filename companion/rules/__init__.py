"""The disclosure rules: what in a post is a commercial tie, what discloses it, and how well.

- `patterns`: the words, tags and phrases, as data (add a disclosure or a tie here).
- `links`: finding links and the one classifier of what a link is (tie for the evidence,
  coarse word for the model).
- `reading`: `analyze(text) -> Reading`, the rules applied to one post.
- `evidence`: the reading as the API's ``missing_disclosure`` evidence.
- `draftcheck`: the draft checker's matches (``/v1/check``, ``campfire check``).
- `textprep`: the text the model reads (the reading in words, links and emoji named).
- `offsets`: Python str indices to UTF-16 code units.
"""

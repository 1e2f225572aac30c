"""The notes API, by product area: notes, interactions, comments and boards.

Thin views: permission-checked fetches and every write are notes.services, lists are
notes.selectors pages (signed keyset cursors, a fixed number of queries per page).
The card and page shapes in notes.api.shapes are shared with the feeds in community.api.
"""

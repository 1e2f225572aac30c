"""The toolkit every app shares, and no models: the bottom of core ← users ← notes ← mall.

Pagination, safe redirects, upload inspection, API error mapping, admin helpers and locks live
here so that no app grows into another's toolbox. Nothing here knows a product rule.
"""

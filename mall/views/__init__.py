"""The mall's pages, by area: catalogue, products on notes, cart and checkout, orders, payments.

Thin callers: forms check the input's shape, mall.services writes and checks permissions,
mall.selectors reads. Actions are plain POSTs that redirect; every page works without JavaScript.
"""

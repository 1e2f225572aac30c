"""The mall's API under /api/v1/mall/: products, products on notes, the cart, addresses, orders.

Thin views over the same services and selectors as the pages. Money is a decimal string in CNY
("1299.00"); a price sent by a client is never read.
"""

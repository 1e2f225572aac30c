"""The welfare-society mall (福利社): catalogue, orders, payments. Built in its own issue."""

"""The measuring stick: a large generated community and the numbers of the site on it.

`dataset` seeds the community in bulk (`manage.py seed_large`), `registry` lists what is
measured, `runner` measures it (`manage.py bench`) and `report` writes bench/results/.
It sits above every app: it may import any of them, and none imports it.
"""

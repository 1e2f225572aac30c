"""Demo data for `make run` and the bench: content, generated pictures, and the seeder."""

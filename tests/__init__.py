import pytest

# A failed assert in the shared helpers reports its values, as one in a test module does.
pytest.register_assert_rewrite("tests.pages")

"""A password hasher for tests: PBKDF2 with few iterations.

Its hashes name their algorithm and iteration count (``pbkdf2_sha256$1000$…``), so a server started in another
process with the production hasher list still verifies them (and upgrades them at the first sign-in); the
production cost (a million iterations, ~0.5 s a hash here) is for attackers, not for the suite's accounts.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class FastPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1_000

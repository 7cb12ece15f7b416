"""Settings split by purpose: base (shared), dev, test, prod. The environment is read in env.py."""

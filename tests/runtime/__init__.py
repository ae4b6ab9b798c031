"""Tests of the hand-written SDK runtime (templates/runtime)."""

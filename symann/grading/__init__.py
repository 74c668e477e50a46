"""Checking students' answers step by step: a safe parser, tolerances, follow-through."""

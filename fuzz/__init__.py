"""Fuzzing the readers of hostile files (issue 7); run by `bash dev.sh reliability`, not by the default tests."""

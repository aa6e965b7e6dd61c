"""Shared by both wings: paths, errors and the protocol by which a kernel hands results to the build."""

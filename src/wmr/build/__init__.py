"""The build side: command line, configs, execution on Dask, staleness, assembly of HTML and PDF."""

from wfs_reports.cli import run

run()

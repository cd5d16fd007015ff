from dvcrawl.cli import entry

entry()

"""One module per subcommand (or group of subcommands); see :mod:`hotline.cli`."""

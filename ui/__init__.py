"""The Qt desktop app, one package per screen (``common/`` for what several share); it calls
services in hotline/."""

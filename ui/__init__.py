"""The Qt desktop app: one module per window, dialog or model; it calls services in hotline/."""

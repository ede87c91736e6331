"""The first-offence exemption checklist (首错免罚) in the case window, and the dialog that
manages catalogue versions."""

"""The statistics window: figures and charts of any period, each figure listing its cases."""

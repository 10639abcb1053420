"""The desktop's own services, each behind one small interface with a back-end per system."""

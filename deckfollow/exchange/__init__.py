"""Moving data in and out: CSV, JSON, vCard, iCalendar and evidence exports."""

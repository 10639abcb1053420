"""Note cards, envelopes and labels with ReportLab: templates, fonts, handwriting variation."""

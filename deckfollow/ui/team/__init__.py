"""Working as a team: edits that clash, the team settings, live changes from others."""

"""The engine: an agreement and its ruleset compiled into a plan; a plan and readings scored exactly, with traces."""

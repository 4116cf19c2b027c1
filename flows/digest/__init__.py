"""Alert digests: rules (TOML) -> parameterised SQL -> grouped, escaped text/HTML -> exactly-once delivery."""

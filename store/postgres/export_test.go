package postgres

import "time"

// SetKeepalive shortens n's keepalive interval, so that a test goes through its pings.
func SetKeepalive(n *Notifier, d time.Duration) { n.keepalive = d }

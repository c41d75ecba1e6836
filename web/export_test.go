package web

// Routes returns the patterns New registers, in order.
func Routes() []string {
	return New(Config{}).(*server).routes
}

package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/cleared/cleared/internal/act"
)

// Metrics holds what GET /metrics shows Prometheus: requests and their latency by route pattern (never by path, so
// no ID appears), decisions of the policy by action, outcome and rule, one per audit entry, and the Go runtime.
// Counts are of actions, never of pieces: no figure tells how many pieces exist or who holds them.
type Metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	decisions *prometheus.CounterVec
	witnesses *prometheus.CounterVec
	tampered  *prometheus.CounterVec
}

// NewMetrics returns a fresh set of metrics.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cleared_http_requests_total", Help: "HTTP requests by route pattern and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "cleared_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cleared_decisions_total",
			Help: "Decisions recorded in the audit log, by action, outcome (allow or deny) and rule of the law; each is one audit append.",
		}, []string{"action", "outcome", "rule"}),
		witnesses: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cleared_witness_submissions_total",
			Help: "Audit checkpoints sent to a witness for cosigning, by witness URL and outcome (ok or failed); a failed one is tried again on the next tick.",
		}, []string{"witness", "outcome"}),
		tampered: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cleared_registers_tampered_total",
			Help: "Register rows that failed their seal check (altered outside cleared, possible compromise A13.1), by table.",
		}, []string{"table"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.decisions, m.witnesses, m.tampered,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Decision counts one decision whose audit entry is committed; give it to registry.Config.Observe. The action label
// is one of act.Names, the list docs/audit.md describes.
func (m *Metrics) Decision(action act.Name, allowed bool, rule string) {
	outcome := "allow"
	if !allowed {
		outcome = "deny"
	}
	m.decisions.WithLabelValues(string(action), outcome, rule).Inc()
}

// Witness counts one submission of a checkpoint to the witness at url: failed if err is not nil. Give it to
// registry.Service.RunWitnesses.
func (m *Metrics) Witness(url string, err error) {
	outcome := "ok"
	if err != nil {
		outcome = "failed"
	}
	m.witnesses.WithLabelValues(url, outcome).Inc()
}

// Tampered counts a register row of table that failed its seal check (the store's tamper hook).
func (m *Metrics) Tampered(table string) { m.tampered.WithLabelValues(table).Inc() }

func (m *Metrics) request(route string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

// metrics serves GET /metrics in Prometheus' text format.
func (m *Metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

package pdf

import (
	"fmt"
	"os"
	"testing"
)

// BenchmarkStamp stamps the 20-page testdata file, top and bottom of every page (what a download costs, A7.1),
// and reports the time per page. docs/benchmarks.md puts it beside pdfcpu's own command on the same file.
func BenchmarkStamp(b *testing.B) {
	src := testdata(b, "twenty-pages.pdf")
	n, err := PageCount(src)
	if err != nil || n != 20 {
		b.Fatalf("twenty-pages.pdf has %d pages (%v)", n, err)
	}
	m := Marks{Marking: "NATO SECRET / SECRET LUX", Reference: "pce_benchmark", Copy: 2, Copies: 5}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Stamp(src, m); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/page")
}

// TestMain lets the test binary stamp one file as a whole process, for the side-by-side timing with pdfcpu's
// command in docs/benchmarks.md: CLEARED_STAMP_IN=in.pdf CLEARED_STAMP_OUT=out.pdf ./pdf.test
func TestMain(m *testing.M) {
	if in := os.Getenv("CLEARED_STAMP_IN"); in != "" {
		if err := stampFile(in, os.Getenv("CLEARED_STAMP_OUT")); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func stampFile(in, out string) error {
	src, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	b, err := Stamp(src, Marks{Marking: "NATO SECRET / SECRET LUX", Reference: "pce_benchmark", Copy: 2, Copies: 5})
	if err != nil {
		return err
	}
	return os.WriteFile(out, b, 0o600)
}

package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/cleared/cleared"
)

// The authorisation matrix of the vetting routes (issue 20, A14.1, A16.1, A20.1): for every demo account, the
// status of a read of the SRE's analyst post, the ministry's contract (awarded to Luxdefence), Paul's required level
// and the register of exemptions, and whether the lists show them. 404 is the answer to whoever may not know the
// object exists, as for a piece; lists leave it out.
const mxVettingGrid = `
account        post  contract  required  exemptions  posts  contracts
helene         200   200       200       200         2      1
sophie_zone    404   404       404       403         0      0
director       404   404       404       403         0      0
paul           404   404       404       403         0      0
minister       404   404       404       403         0      0
anne           200   404       200       403         1      0
luc            404   200       404       403         0      1
tom            404   404       404       403         0      0
lea            404   404       404       403         0      0
nina           404   404       404       403         0      0
premier        404   404       404       403         0      0
claire         404   404       404       403         0      0
bruno          404   404       404       403         0      0
nadia          404   404       404       403         0      0
jo             404   404       404       403         0      0
`

func TestMatrix_Vetting(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	paths := []string{"/api/posts/" + string(w.AnalystPost.ID), "/api/contracts/" + string(w.Contract.ID),
		"/api/persons/" + string(w.Paul.ID) + "/required-level", "/api/exemptions"}
	lists := []string{"/api/posts", "/api/contracts"}
	for _, line := range strings.Split(strings.TrimSpace(mxVettingGrid), "\n")[1:] {
		f := strings.Fields(line)
		key := f[0]
		t.Run(key, func(t *testing.T) {
			for i, p := range paths {
				if got := e.get(key, p); strconv.Itoa(got.status) != f[1+i] {
					t.Errorf("GET %s as %s: %d, want %s", p, key, got.status, f[1+i])
				}
			}
			for i, p := range lists {
				got := e.get(key, p)
				n := strings.Count(string(got.body), `"created_by"`) // one per item
				if got.status != http.StatusOK || strconv.Itoa(n) != f[1+len(paths)+i] {
					t.Errorf("GET %s as %s: %d with %d items, want 200 with %s", p, key, got.status, n, f[1+len(paths)+i])
				}
			}
		})
	}
	// An unknown post is 404 to its would-be officer too: the same answer as another's.
	if got := e.get("anne", "/api/posts/"+string(cleared.NewPostID())); got.status != http.StatusNotFound {
		t.Errorf("unknown post: %d", got.status)
	}
}

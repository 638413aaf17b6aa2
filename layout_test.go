package main

import (
	"bufio"
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The layout of DESIGN.md §3, checked: every package imports only the
// layers below it. Domain at the bottom (types and pure rules), store on it
// (persistence), core on both (what desk and server share), desk and server
// on top, ui over the desk, main wiring them. mapview, assets and locale
// are leaves.
var layers = []struct {
	pkg string   // the package and those below it
	may []string // the packages (and those below them) it may import
}{
	{"griddesk", []string{"griddesk/desk", "griddesk/ui", "griddesk/server/demo", "griddesk/locale"}},
	{"griddesk/assets", nil},
	{"griddesk/locale", nil},
	{"griddesk/mapview", nil},
	{"griddesk/domain", []string{"griddesk/domain"}},
	{"griddesk/store", []string{"griddesk/domain", "griddesk/store"}},
	{"griddesk/core", []string{"griddesk/domain", "griddesk/store", "griddesk/core", "griddesk/assets"}},
	{"griddesk/seed", []string{"griddesk/domain", "griddesk/store", "griddesk/assets"}},
	{"griddesk/desk", []string{"griddesk/domain", "griddesk/store", "griddesk/core", "griddesk/desk"}},
	{"griddesk/server", []string{"griddesk/domain", "griddesk/store", "griddesk/core", "griddesk/seed", "griddesk/server"}},
	// an offline basemap file is no desk data: the screens open it themselves
	{"griddesk/ui", []string{"griddesk/domain", "griddesk/core", "griddesk/desk", "griddesk/mapview", "griddesk/assets", "griddesk/locale", "griddesk/store/mbtiles"}},
}

// testMay is what tests may import besides their package's layers: demo
// data, a real server to run against and the bundled font.
var testMay = []string{"griddesk/seed", "griddesk/server", "griddesk/assets"}

// testMayIn is what the tests of one package may import besides: the web
// pages' browser tests watch the phone's work arrive on a real desk; the
// real-window smoke round reads the case's state it ends in; a screen test
// puts on a real server's store what no API makes (a case closed months ago).
var testMayIn = map[string][]string{"griddesk/server/web": {"griddesk/desk"}, "griddesk": {"griddesk/domain"},
	"griddesk/ui": {"griddesk/store"}}

// Outside imports kept to their places: Fyne to the screens, SQL to the store.
var only = []struct {
	prefix string
	in     []string
}{
	{"fyne.io/", []string{"griddesk", "griddesk/ui", "griddesk/mapview"}},
	{"database/sql", []string{"griddesk/store"}},
	{"modernc.org/sqlite", []string{"griddesk/store"}},
	{"github.com/jackc/pgx", []string{"griddesk/store"}},
}

func under(pkg, root string) bool {
	return pkg == root || (root != "griddesk" && strings.HasPrefix(pkg, root+"/"))
}

func layerOf(pkg string) (may []string, ok bool) {
	best := ""
	for _, l := range layers {
		if under(pkg, l.pkg) && len(l.pkg) > len(best) {
			best, may, ok = l.pkg, l.may, true
		}
	}
	return may, ok
}

func allowed(imp string, may []string) bool {
	for _, m := range may {
		if under(imp, m) {
			return true
		}
	}
	return false
}

func TestLayout(t *testing.T) {
	out, err := exec.Command("go", "list", "-e", "-f",
		`{{.ImportPath}}|{{join .Imports ","}}|{{join .TestImports ","}},{{join .XTestImports ","}}`, "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Split(sc.Text(), "|")
		pkg, imps, tests := f[0], strings.Split(f[1], ","), strings.Split(f[2], ",")
		may, ok := layerOf(pkg)
		if !ok {
			t.Errorf("%s is in no layer: add it to the table (DESIGN.md §3)", pkg)
			continue
		}
		check := func(imp string, may []string, what string) {
			switch {
			case imp == "" || imp == pkg:
			case strings.HasPrefix(imp, "griddesk"):
				if !allowed(imp, may) {
					t.Errorf("%s %s %s, against the layers (DESIGN.md §3)", pkg, what, imp)
				}
			default:
				for _, o := range only {
					if strings.HasPrefix(imp, o.prefix) && !allowed(pkg, o.in) {
						t.Errorf("%s %s %s: only %s may", pkg, what, imp, strings.Join(o.in, ", "))
					}
				}
			}
		}
		for _, imp := range imps {
			check(imp, may, "imports")
		}
		for _, imp := range tests {
			check(imp, append(append(append([]string{}, may...), testMay...), testMayIn[pkg]...), "tests import")
		}
	}
}

// Only the store touches the database handle: nothing else calls DB().
func TestOnlyStoreTouchesDB(t *testing.T) {
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (path == "store" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || path == "layout_test.go" {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(src), "\n") {
			if strings.Contains(line, ".DB()") {
				t.Errorf("%s:%d calls DB(): only package store talks SQL", path, i+1)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestGoldensAreNamedGolden: make test-fonts runs the tests named *Golden
// again with CJK fonts on the host, to prove the goldens do not depend on
// the host's fonts; a golden test under another name would be left out.
func TestGoldensAreNamedGolden(t *testing.T) {
	files, err := filepath.Glob("*/*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("*/*/*_test.go")
	fset := token.NewFileSet()
	found := 0
	for _, path := range append(files, more...) {
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || !strings.HasPrefix(fd.Name.Name, "Test") {
				continue
			}
			ast.Inspect(fd, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if ok && strings.HasPrefix(sel.Sel.Name, "Assert") && strings.Contains(sel.Sel.Name, "Render") || ok && sel.Sel.Name == "AssertImageMatches" {
					found++
					if !strings.Contains(fd.Name.Name, "Golden") {
						t.Errorf("%s: %s compares a golden (%s) but its name lacks Golden: make test-fonts would leave it out", path, fd.Name.Name, sel.Sel.Name)
					}
				}
				return true
			})
		}
	}
	if found == 0 {
		t.Error("no golden comparisons found: the check looks in the wrong place")
	}
}

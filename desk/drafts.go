package desk

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Draft is what a form held when it was closed unsent (a hotline call
// taken down but not yet registered): its fields by name and when it was
// kept. Drafts live in the data directory, beside the local copy, so they
// outlast the window and the desk.
type Draft struct {
	Fields map[string]string `json:"fields"`
	At     time.Time         `json:"at"`
}

const draftsFile = "drafts.json"

// draftMu orders the reads and writes of drafts files (any desk).
var draftMu sync.Mutex

// Draft returns the draft kept under name (ok false: none).
func (d *Desk) Draft(name string) (Draft, bool) {
	draftMu.Lock()
	defer draftMu.Unlock()
	all, err := d.readDrafts()
	if err != nil {
		return Draft{}, false
	}
	dr, ok := all[name]
	return dr, ok && len(dr.Fields) > 0
}

// SaveDraft keeps fields under name, replacing the draft there.
func (d *Desk) SaveDraft(name string, fields map[string]string) error {
	draftMu.Lock()
	defer draftMu.Unlock()
	all, err := d.readDrafts()
	if err != nil {
		all = map[string]Draft{} // an unreadable file is replaced
	}
	all[name] = Draft{Fields: fields, At: time.Now()}
	return d.writeDrafts(all)
}

// DropDraft forgets the draft under name (sent, or discarded).
func (d *Desk) DropDraft(name string) error {
	draftMu.Lock()
	defer draftMu.Unlock()
	all, err := d.readDrafts()
	if err != nil {
		return nil
	}
	if _, ok := all[name]; !ok {
		return nil
	}
	delete(all, name)
	return d.writeDrafts(all)
}

func (d *Desk) readDrafts() (map[string]Draft, error) {
	all := map[string]Draft{}
	b, err := os.ReadFile(filepath.Join(d.cfg.DataDir, draftsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return all, nil
	}
	if err != nil {
		return nil, fmt.Errorf("desk: drafts: %w", err)
	}
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, fmt.Errorf("desk: drafts: %w", err)
	}
	return all, nil
}

// writeDrafts replaces the file whole (written aside, then renamed), so a
// crash leaves the old drafts or the new ones, never half a file.
func (d *Desk) writeDrafts(all map[string]Draft) error {
	if d.cfg.DataDir == "" {
		return errors.New("desk: drafts: no data directory")
	}
	b, err := json.Marshal(all)
	if err != nil {
		return fmt.Errorf("desk: drafts: %w", err)
	}
	path := filepath.Join(d.cfg.DataDir, draftsFile)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("desk: drafts: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("desk: drafts: %w", err)
	}
	return nil
}

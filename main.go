// Command griddesk is the desk of a grid-governance command center
// (网格化治理指挥中心): a live map of grids and colour-coded entities, the
// open-case queue and its clocks, working from a local SQLite copy that is
// kept in step with the GridDesk server.
//
//	griddesk                          # the demo town, served in-process
//	griddesk -server https://host:8080  # a real server; asks for a login
//	griddesk -open town.gpkg            # review a snapshot, read-only and offline
//
// main only wires flags to the desk's core and the UI.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"griddesk/desk"
	_ "griddesk/locale" // first of all: the C locale reads as English before Fyne looks
	"griddesk/server/demo"
	"griddesk/ui"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "griddesk:", err)
		os.Exit(1)
	}
}

func run() error {
	data := flag.String("data", desk.DefaultDataDir(), "where the desk keeps its local copy")
	srv := flag.String("server", "", "GridDesk server URL, or the URLs of several server nodes separated by commas (empty: run the demo town in-process)")
	seed := flag.String("seed", "town", "demo data for the in-process server on first start: town or city")
	open := flag.String("open", "", "review a snapshot (.gpkg) read-only, offline")
	simulate := flag.Bool("simulate", true, "the in-process demo server simulates the town's working day")
	mbtiles := flag.String("mbtiles", "", "an offline basemap under the grids (.mbtiles)")
	tiles := flag.String("tiles", "", "a basemap tile URL template, e.g. https://host/{z}/{x}/{y}.png (cached in -data)")
	wall := flag.Bool("wall", false, "also open the map full screen for the video wall")
	flag.Parse()
	uiOpts := ui.Options{MBTiles: *mbtiles, TileURL: *tiles, TileDir: filepath.Join(*data, "tiles"), FullWall: *wall}
	if *open != "" {
		d, err := desk.OpenSnapshot(context.Background(), *open, *data)
		if err != nil {
			return err
		}
		defer d.Close()
		return ui.Run(d, uiOpts)
	}
	d, err := desk.Open(context.Background(), desk.Config{
		DataDir:   *data,
		ServerURL: *srv,
		User:      os.Getenv("GRIDDESK_USER"),
		Password:  os.Getenv("GRIDDESK_PASSWORD"),
		Backend:   desk.BackendFrom(demo.Starter(*seed, *simulate)),
	})
	if err != nil {
		return err
	}
	defer d.Close()
	return ui.Run(d, uiOpts)
}

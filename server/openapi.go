package server

import (
	_ "embed"
	"net/http"
)

// OpenAPI is the API description (OpenAPI 3.1), served at /api/v1/openapi.json.
//
//go:embed openapi.json
var OpenAPI []byte

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(OpenAPI)
}

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"text/tabwriter"

	"github.com/atriumhq/atrium/core/pluginhost"
	"github.com/atriumhq/atrium/core/scaffold"
	"github.com/atriumhq/atrium/sdk/plugincheck"
	"github.com/spf13/cobra"
)

// pluginsCmd manages the plugins folder. It works on the data folder, with
// or without a running portal: a running portal watches the folder and
// follows installs, enables and disables within seconds (see --plugin-watch),
// and reads settings on the plugin's next call.
func pluginsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "plugins", Short: "List, inspect, check, pack, install, enable and disable plugins; keep the trusted publisher keys"}
	list := &cobra.Command{
		Use:   "list",
		Short: "List installed plugins: state, version, types provided and the last error (the running portal's word while one runs)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			all, err := pluginhost.Installed(pluginsDir(g))
			if err != nil {
				return err
			}
			if len(all) == 0 {
				g.say(g.stdout, "cli.plugins.none", "Folder", pluginsDir(g))
				return nil
			}
			w := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, g.loc.T("cli.plugins.list-head"))
			for _, s := range all {
				types := strings.Join(append(append([]string{}, s.Blocks...), s.Rooms...), ",")
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", s.ID, s.Version, s.State, types, trustText(g, s.Trust, s.Publisher, s.KeyID), s.LastError)
			}
			return w.Flush()
		},
	}
	inspect := &cobra.Command{
		Use:   "inspect ID",
		Short: "Show one plugin's manifest and state as JSON",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			all, err := pluginhost.Installed(pluginsDir(g))
			if err != nil {
				return err
			}
			for _, s := range all {
				if s.ID == args[0] {
					out := struct {
						pluginhost.Status
						Manifest *pluginhost.Manifest `json:"manifest,omitempty"`
					}{Status: s}
					if m, err := pluginhost.ReadManifest(s.Dir); err == nil {
						out.Manifest = &m
					}
					b, _ := json.MarshalIndent(out, "", "  ")
					fmt.Fprintln(g.stdout, string(b))
					return nil
				}
			}
			return fmt.Errorf("%w: %s", pluginhost.ErrNoPlugin, args[0])
		},
	}
	check := &cobra.Command{
		Use:   "check DIR",
		Short: "Check a plugin folder as installing it would: manifest, executables, handshake, types, schemas, configs and renders",
		Long: `Check runs the plugin checker on a plugin's folder (plugin.yaml and its built
executables) and names every problem the portal would refuse or break on.
It starts the executable for this platform once. Installing runs the same
checks; a plugin's own tests run them with plugintest.Conformance.`,
		Example: "  atrium plugins check ./build/nps",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			problems := plugincheck.Check(cmd.Context(), args[0], plugincheck.Options{})
			for _, p := range problems {
				fmt.Fprintln(g.stdout, p)
			}
			if len(problems) > 0 {
				return g.loc.Errorf("cli.plugins.check-failed", "Plugin", args[0])
			}
			m, err := pluginhost.ReadManifestSource(args[0])
			if err != nil {
				return err
			}
			g.say(g.stdout, "cli.plugins.check-passed", "Plugin", m.ID, "Version", m.Version)
			return nil
		},
	}
	toggle := func(verb string, disabled bool, done string) *cobra.Command {
		return &cobra.Command{
			Use:   verb + " ID",
			Short: verb + " a plugin (a running portal follows within seconds)",
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				if err := pluginhost.SetDisabled(pluginsDir(g), args[0], disabled); err != nil {
					return err
				}
				g.say(g.stdout, done, "Plugin", args[0])
				return nil
			},
		}
	}
	cmd.AddCommand(list, inspect, pluginInstallCmd(g), check, pluginNewCmd(g), pluginPackCmd(g), pluginKeygenCmd(g), pluginTrustCmd(g), toggle("enable", false, "cli.plugins.enabled"), toggle("disable", true, "cli.plugins.disabled"), pluginSettingsCmd(g))
	return cmd
}

// pluginSettingsCmd shows or changes a plugin's settings, checked against
// the settings schema in its manifest.
func pluginSettingsCmd(g *globals) *cobra.Command {
	var sets []string
	var file string
	cmd := &cobra.Command{
		Use:   "settings ID [--set key=value]... [--file settings.json]",
		Short: "Show a plugin's settings, or change them (checked against its manifest's settings schema)",
		Example: `  atrium plugins settings acme/nps
  atrium plugins settings acme/nps --set mdfCap=5000 --set question="Would you recommend us?"
  atrium plugins settings acme/nps --file nps-settings.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, dir := args[0], pluginsDir(g)
			current, err := pluginhost.Settings(dir, id)
			if err != nil {
				return err
			}
			if file == "" && len(sets) == 0 {
				return printJSON(g, current)
			}
			values := map[string]json.RawMessage{}
			if file != "" {
				b, err := os.ReadFile(file)
				if err != nil {
					return err
				}
				if err := json.Unmarshal(b, &values); err != nil {
					return fmt.Errorf("%s: %s: %w", file, g.loc.T("cli.plugins.settings-object"), err)
				}
			} else if err := json.Unmarshal(current, &values); err != nil {
				return fmt.Errorf("stored settings of %s: %w", id, err)
			}
			for _, kv := range sets {
				k, v, ok := strings.Cut(kv, "=")
				if !ok || k == "" {
					return g.loc.Errorf("cli.plugins.set-form", "Set", fmt.Sprintf("%q", kv))
				}
				// A value that reads as JSON (5000, true, ["a"]) is taken as
				// such; anything else is a string.
				if json.Valid([]byte(v)) {
					values[k] = json.RawMessage(v)
				} else {
					values[k], _ = json.Marshal(v)
				}
			}
			b, _ := json.Marshal(values)
			if err := pluginhost.SetSettings(dir, id, b); err != nil {
				var se *pluginhost.SettingsError
				if errors.As(err, &se) {
					for _, p := range se.Problems {
						path := p.Path
						if path == "" {
							path = "settings"
						}
						fmt.Fprintf(g.stderr, "%s: %s\n", path, p.Message)
					}
					return g.loc.Errorf("cli.plugins.settings-not-saved", "Plugin", id)
				}
				return err
			}
			saved, err := pluginhost.Settings(dir, id)
			if err != nil {
				return err
			}
			return printJSON(g, saved)
		},
	}
	cmd.Flags().StringArrayVar(&sets, "set", nil, "set one setting, key=value (repeatable); the others keep their values")
	cmd.Flags().StringVar(&file, "file", "", "replace the settings with this JSON object")
	return cmd
}

func printJSON(g *globals, raw json.RawMessage) error {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	b, _ := json.MarshalIndent(v, "", "  ")
	_, err := fmt.Fprintln(g.stdout, string(b))
	return err
}

// pluginNewCmd writes a new plugin's folder from the scaffold: it builds,
// passes its tests and `atrium plugins check` as written.
func pluginNewCmd(g *globals) *cobra.Command {
	var opt scaffold.Options
	var dir string
	var block, tidy bool
	cmd := &cobra.Command{
		Use:   "new VENDOR/NAME [--block] [--room] [--staff] [--dir DIR] [--sdk PATH]",
		Short: "Write a new plugin's folder: module, block (room type, staff side), manifest, tests, Makefile and README",
		Long: `New writes a complete plugin folder for VENDOR/NAME (by default ./NAME): a Go
module requiring the SDK, a block type with its config schema (--block, the
default), a room type that starts with the block (--room) and gives staff a
side of their own (--staff), a plugin.yaml whose provides and permissions
match the code, tests using sdk/plugintest with Conformance, a Makefile
building every platform in the manifest, and a README.

Until the SDK is published, --sdk names a local checkout's sdk folder; the
module's go.mod then replaces the SDK with it. New runs go mod tidy in the
folder when Go is installed.`,
		Example: `  atrium plugins new acme/quiz --sdk ../atrium/sdk
  atrium plugins new acme/deal-desk --room --staff --dir plugins/deal-desk`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opt.ID = args[0]
			if dir == "" {
				_, name, _ := strings.Cut(opt.ID, "/")
				dir = name
			}
			files, err := scaffold.Write(dir, opt)
			if err != nil {
				return fmt.Errorf("new %s: %w", opt.ID, err)
			}
			g.say(g.stdout, "cli.plugins.new-wrote", "Plugin", opt.ID, "Folder", dir, "Files", strings.Join(files, ", "))
			if tidy {
				if _, err := exec.LookPath("go"); err == nil {
					c := exec.CommandContext(cmd.Context(), "go", "mod", "tidy")
					c.Dir, c.Stdout, c.Stderr = dir, g.stdout, g.stderr
					if err := c.Run(); err != nil {
						return fmt.Errorf("go mod tidy in %s: %w", dir, err)
					}
				}
			}
			g.say(g.stdout, "cli.plugins.new-next", "Folder", dir)
			return nil
		},
	}
	cmd.Flags().BoolVar(&block, "block", true, "write a block type (always written; rooms are built from it)")
	cmd.Flags().BoolVar(&opt.Room, "room", false, "also write a room type that starts with the block")
	cmd.Flags().BoolVar(&opt.Staff, "staff", false, "give the room type a staff side (implies --room)")
	cmd.Flags().StringVar(&dir, "dir", "", "the folder to write (default ./NAME); it must be empty or absent")
	cmd.Flags().StringVar(&opt.Module, "module", "", "the Go module path (default example.com/VENDOR/NAME)")
	cmd.Flags().StringVar(&opt.SDK, "sdk", "", "a local checkout's sdk folder to build against until the SDK is published (written as a replace in go.mod)")
	cmd.Flags().StringSliceVar(&opt.Platforms, "platform", nil, "a goos/goarch to build for, repeatable (default linux/amd64, linux/arm64, darwin/arm64)")
	cmd.Flags().BoolVar(&tidy, "tidy", true, "run go mod tidy in the new folder")
	return cmd
}

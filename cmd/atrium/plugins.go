package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/atriumhq/atrium/core/pluginhost"
	"github.com/spf13/cobra"
)

// pluginsCmd manages the plugins folder. It works on the data folder without
// a running portal: changes take effect when the portal next starts. A
// running portal changes at once through /admin/plugins or the REST API.
func pluginsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "plugins", Short: "List, inspect, install, enable and disable plugins"}
	list := &cobra.Command{
		Use:   "list",
		Short: "List installed plugins: state, version, types provided and the reason one would be refused",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			all, err := pluginhost.Installed(pluginsDir(g))
			if err != nil {
				return err
			}
			if len(all) == 0 {
				fmt.Fprintf(g.stdout, "No plugins in %s\n", pluginsDir(g))
				return nil
			}
			w := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tVERSION\tSTATE\tTYPES\tLAST ERROR")
			for _, s := range all {
				types := strings.Join(append(append([]string{}, s.Blocks...), s.Rooms...), ",")
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", s.ID, s.Version, s.State, types, s.LastError)
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
	install := &cobra.Command{
		Use:     "install PATH",
		Short:   "Install a plugin from a folder holding plugin.yaml and its executables, pinning their checksums",
		Example: "  atrium plugins install ./build/nps",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := pluginhost.Install(args[0], pluginsDir(g))
			if err != nil {
				return fmt.Errorf("install %s: %w", args[0], err)
			}
			fmt.Fprintf(g.stdout, "Installed %s %s; it starts with the portal.\n", m.ID, m.Version)
			return nil
		},
	}
	toggle := func(verb string, disabled bool) *cobra.Command {
		return &cobra.Command{
			Use:   verb + " ID",
			Short: verb + " a plugin (from the portal's next start)",
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				if err := pluginhost.SetDisabled(pluginsDir(g), args[0], disabled); err != nil {
					return err
				}
				fmt.Fprintf(g.stdout, "%s: %sd\n", args[0], verb)
				return nil
			},
		}
	}
	cmd.AddCommand(list, inspect, install, toggle("enable", false), toggle("disable", true))
	return cmd
}

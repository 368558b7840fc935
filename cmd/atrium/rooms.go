package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/core/roomfile"
	"github.com/spf13/cobra"
)

func roomsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rooms",
		Short: "Apply, export, validate and list rooms",
		Long: `Rooms are described in YAML (or JSON) room files: see docs/room-files.md.
A running portal picks up what these commands change within a few seconds.`,
	}
	cmd.AddCommand(roomsApplyCmd(g, false), roomsApplyCmd(g, true), roomsExportCmd(g), roomsListCmd(g),
		roomsHistoryCmd(g), roomsRollbackCmd(g))
	return cmd
}

// roomsApplyCmd is "rooms apply" or, with validateOnly, "rooms validate":
// the same checks, against the same database, without writing.
func roomsApplyCmd(g *globals, validateOnly bool) *cobra.Command {
	var files []string
	var prune, dryRun, force bool
	var message string
	use, short := "apply", "Apply room files (idempotent; all or nothing)"
	if validateOnly {
		use, short = "validate", "Check room files without changing anything"
	}
	cmd := &cobra.Command{
		Use:   use + " -f FILE|DIR ...",
		Short: short,
		Example: "  atrium rooms " + use + " -f rooms/\n" +
			"  atrium rooms " + use + " -f rooms/training.yaml -f rooms/program.yaml",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(files) == 0 {
				return g.loc.Errorf("cli.rooms.files-needed")
			}
			docs, err := roomfile.Load(files...)
			if err != nil {
				return problems(g, err)
			}
			a, err := open(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer a.Close()
			defer a.loadPlugins(g)()
			res, err := roomfile.Apply(cmd.Context(), a.rooms, docs, room.ApplyOptions{Prune: prune, DryRun: dryRun || validateOnly,
				Actor: room.CLI, Message: message, Bases: roomfile.Bases(docs), Force: force})
			var stale *room.StaleError
			if errors.As(err, &stale) {
				return g.loc.Errorf("cli.rooms.stale", "Stale", stale.Error())
			}
			if err != nil {
				return problems(g, err)
			}
			if validateOnly {
				g.sayN(g.stdout, "cli.rooms.valid", len(docs))
				return nil
			}
			report(g, res, dryRun)
			if dryRun {
				return nil
			}
			revs, err := publishedRevisions(cmd.Context(), a)
			if err != nil {
				return err
			}
			return roomfile.MoveBases(docs, revs)
		},
	}
	cmd.Flags().StringArrayVarP(&files, "file", "f", nil, "room file or folder (repeatable)")
	if !validateOnly {
		cmd.Flags().BoolVar(&prune, "prune", false, "delete rooms that are not in the files")
		cmd.Flags().BoolVar(&dryRun, "dry-run", false, "say what would change without changing it")
		cmd.Flags().BoolVar(&force, "force", false, "apply rooms even if they were published again or have a draft since the files' revision comment")
		cmd.Flags().StringVarP(&message, "message", "m", "", "why, recorded in the history of every room that changes")
	}
	return cmd
}

// problems prints every problem of a room file error on its own line.
func problems(g *globals, err error) error {
	var fe *roomfile.Error
	if errors.As(err, &fe) {
		n := len(fe.Problems)
		return errors.New(g.loc.N("cli.rooms.problems", n, "Problems", strings.ReplaceAll(fe.Error(), "\n", "\n  ")))
	}
	return err
}

func report(g *globals, res room.Result, dryRun bool) {
	// A dry run says what would happen in messages of its own: a language
	// may not build "would be" from the plain verb.
	if res.ProgramChanged {
		g.say(g.stdout, map[bool]string{false: "cli.rooms.program-changed", true: "cli.rooms.program-would-change"}[dryRun])
	}
	for _, l := range []struct {
		done, would string
		names       []string
	}{
		{"cli.rooms.room-created", "cli.rooms.room-would-create", res.Created},
		{"cli.rooms.room-changed", "cli.rooms.room-would-change", res.Changed},
		{"cli.rooms.room-unchanged", "cli.rooms.room-would-stay", res.Unchanged},
		{"cli.rooms.room-deleted", "cli.rooms.room-would-delete", res.Deleted},
	} {
		id := l.done
		if dryRun {
			id = l.would
		}
		for _, n := range l.names {
			g.say(g.stdout, id, "Room", n)
		}
	}
	g.say(g.stdout, "cli.rooms.summary", "Created", g.num(len(res.Created)), "Changed", g.num(len(res.Changed)),
		"Unchanged", g.num(len(res.Unchanged)), "Deleted", g.num(len(res.Deleted)))
}

func roomsExportCmd(g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "export [-o DIR]",
		Short: "Write the program and every room as room files",
		Long:  "Without -o the documents go to standard output, separated by ---. The files apply back unchanged.",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a, err := open(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer a.Close()
			p, err := program.Load(cmd.Context(), a.db)
			if err != nil {
				return err
			}
			rooms, err := a.rooms.List(cmd.Context())
			if err != nil {
				return err
			}
			if out != "" {
				revs, err := publishedRevisions(cmd.Context(), a)
				if err != nil {
					return err
				}
				files, err := roomfile.WriteDir(out, p, rooms, revs)
				if err != nil {
					return err
				}
				g.sayN(g.stderr, "cli.rooms.wrote", len(files), "Folder", out)
				return nil
			}
			b, err := roomfile.MarshalProgram(p)
			if err != nil {
				return err
			}
			g.stdout.Write(b)
			revs, err := publishedRevisions(cmd.Context(), a)
			if err != nil {
				return err
			}
			for _, r := range rooms {
				b, err := roomfile.MarshalRoom(r)
				if err != nil {
					return err
				}
				fmt.Fprintln(g.stdout, "---")
				fmt.Fprint(g.stdout, roomfile.RevisionComment(revs[r.Key()]))
				g.stdout.Write(b)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "folder to write one file per room into")
	return cmd
}

func roomsListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List rooms with their partner types and blocks",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a, err := open(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer a.Close()
			rooms, err := a.rooms.List(cmd.Context())
			if err != nil {
				return err
			}
			if len(rooms) == 0 {
				g.say(g.stdout, "cli.rooms.none")
				return nil
			}
			w := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, g.loc.T("cli.rooms.list-head"))
			for _, r := range rooms {
				typ := r.Type
				if typ == "" {
					typ = g.loc.T("cli.rooms.custom")
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%d\t%d\n", r.Name, r.Slug, r.Title, typ, strings.Join(r.PartnerTypes, ","), r.Position, len(r.Blocks))
			}
			return w.Flush()
		},
	}
}

func programCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "program", Short: "Apply or export the program (types, tiers, stages, roles, branding)"}
	var file string
	apply := &cobra.Command{
		Use:   "apply -f FILE",
		Short: "Apply a program file (kind: Program)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if file == "" {
				return g.loc.Errorf("cli.program.file-needed")
			}
			docs, err := roomfile.Load(file)
			if err != nil {
				return problems(g, err)
			}
			var progs []roomfile.Document
			for _, d := range docs {
				if d.Kind == roomfile.KindProgram {
					progs = append(progs, d)
				}
			}
			if len(progs) != 1 {
				return g.loc.Errorf("cli.program.one-document", "File", file, "Found", g.num(len(progs)))
			}
			a, err := open(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer a.Close()
			defer a.loadPlugins(g)()
			// Applying no rooms still checks every existing room against
			// the new vocabulary, so a tier in use cannot be removed.
			res, err := roomfile.Apply(cmd.Context(), a.rooms, progs, room.ApplyOptions{})
			if err != nil {
				return problems(g, err)
			}
			if res.ProgramChanged {
				g.say(g.stdout, "cli.rooms.program-changed")
			} else {
				g.say(g.stdout, "cli.rooms.program-unchanged")
			}
			return nil
		},
	}
	apply.Flags().StringVarP(&file, "file", "f", "", "program file")
	export := &cobra.Command{
		Use:   "export",
		Short: "Print the program as a program file",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a, err := open(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer a.Close()
			p, err := program.Load(cmd.Context(), a.db)
			if err != nil {
				return err
			}
			b, err := roomfile.MarshalProgram(p)
			if err != nil {
				return err
			}
			_, err = g.stdout.Write(b)
			return err
		},
	}
	cmd.AddCommand(apply, export)
	cmd.AddCommand(programSettingsCmds(g)...)
	return cmd
}

// publishedRevisions is the revision each published room is at, by name,
// for the revision comments of room files.
func publishedRevisions(ctx context.Context, a *app) (map[string]int64, error) {
	sts, err := a.rooms.Statuses(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	for _, st := range sts {
		if st.State != room.StateDraftOnly {
			out[st.Name] = st.Revision
		}
	}
	return out, nil
}

func roomsHistoryCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "history NAME",
		Short: "List a room's published revisions, newest first",
		Long: `Every publish, apply and rollback that changes a room records a revision:
who, when and why. Roll back to one with: atrium rooms rollback NAME REV`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := open(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer a.Close()
			revs, err := a.rooms.History(cmd.Context(), args[0])
			if err != nil {
				return cliError(err)
			}
			d, err := a.rooms.Draft(cmd.Context(), args[0])
			if err != nil {
				return cliError(err)
			}
			if d.Version > 0 {
				g.say(g.stdout, "cli.rooms.draft", "Version", g.loc.Int(d.Version), "By", d.UpdatedBy, "When", g.loc.DateTime(d.UpdatedAt.UTC())+" UTC")
			}
			if len(revs) == 0 {
				g.say(g.stdout, "cli.rooms.no-revisions", "Room", args[0])
				return nil
			}
			w := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, g.loc.T("cli.rooms.history-head"))
			for _, r := range revs {
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", r.Number, g.loc.DateTime(r.At.UTC())+" UTC", r.Author, r.Message)
			}
			return w.Flush()
		},
	}
}

func roomsRollbackCmd(g *globals) *cobra.Command {
	var message string
	cmd := &cobra.Command{
		Use:   "rollback NAME REV",
		Short: "Publish an earlier revision of a room again, as a new revision",
		Long: `The room becomes what revision REV held, and the rollback is recorded as a
new revision (history only grows). A draft in the room builder is kept;
its editor is told it is stale when they publish.`,
		Example: "  atrium rooms history training\n  atrium rooms rollback training 3 -m \"the new intro confused people\"",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			n, err := strconv.ParseInt(args[1], 10, 64)
			if err != nil || n < 1 {
				return g.loc.Errorf("cli.rooms.not-a-revision", "Arg", fmt.Sprintf("%q", args[1]), "Room", name)
			}
			a, err := open(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer a.Close()
			defer a.loadPlugins(g)()
			ctx := cmd.Context()
			// The command names the revision itself, so it starts from
			// whatever is stored now.
			revs, err := publishedRevisions(ctx, a)
			if err != nil {
				return err
			}
			base := room.Base{Revision: revs[name]}
			if d, err := a.rooms.Draft(ctx, name); err == nil {
				base.DraftVersion = d.Version
			}
			rev, err := a.rooms.Rollback(ctx, room.CLI, name, n, message, base)
			if err != nil {
				var ve *room.ValidationError
				if errors.As(err, &ve) {
					return g.loc.Errorf("cli.rooms.revision-stale", "Revision", n, "Room", name, "Problems", strings.ReplaceAll(ve.Error(), "\n", "\n  "))
				}
				return cliError(err)
			}
			if rev.Number == base.Revision {
				g.say(g.stdout, "cli.rooms.rollback-unchanged", "Room", name, "Revision", n)
				return nil
			}
			g.say(g.stdout, "cli.rooms.rolled-back", "Room", name, "Revision", n, "New", rev.Number)
			return nil
		},
	}
	cmd.Flags().StringVarP(&message, "message", "m", "", "why, for the room's history (default: Roll back to revision REV)")
	return cmd
}

// cliError shows a person's mistake (a room not found, a stale base) as its
// message alone, and anything else in full.
func cliError(err error) error {
	if fail.CodeOf(err) == fail.Internal {
		return err
	}
	return errors.New(fail.Message(err))
}

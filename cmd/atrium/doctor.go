package main

import "github.com/spf13/cobra"

func doctorCmd(g *globals) *cobra.Command {
	return &cobra.Command{Use: "doctor", Short: "Check the portal's configuration and what it depends on", Hidden: true}
}

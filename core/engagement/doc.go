// Package engagement records page views and actions and turns them into
// sessions and rollups for the engagement dashboards.
package engagement

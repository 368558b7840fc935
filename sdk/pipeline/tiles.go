package pipeline

import (
	"fmt"
	"strconv"

	"github.com/atriumhq/atrium/sdk/ui"
)

// Tiles draws the Overview figures as metric tiles, so the Overview room
// and the analytics block show the same numbers the same way.
func Tiles(o Overview) ui.Component {
	open := o.LeadsTotal - o.LeadsByStatus[LeadWon] - o.LeadsByStatus[LeadLost]
	return ui.Columns{Count: 4, Children: ui.Children{
		ui.Metric{Label: "Leads submitted", Value: strconv.Itoa(o.LeadsTotal), Hint: fmt.Sprintf("%d open · %d this month", open, o.LeadsThisMonth)},
		ui.Metric{Label: "Open deals", Value: strconv.Itoa(o.OpenDeals), Hint: o.PipelineValue.String() + " in the pipeline"},
		ui.Metric{Label: "Commission pending", Value: o.CommissionPending.String(), Hint: o.CommissionApproved.String() + " approved", Tone: ui.ToneInfo},
		ui.Metric{Label: "Commission earned", Value: o.CommissionPaid.String(), Hint: fmt.Sprintf("%d deals won · %s", o.DealsWon, o.WonValue.String()), Tone: ui.ToneSuccess},
	}}
}

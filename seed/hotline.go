package seed

import (
	"fmt"
	"strings"

	"griddesk/domain"
	"griddesk/domain/clock"
)

var (
	orderChannels = []string{"电话", "电话", "电话", "微信", "网站", "APP"}
	orderAppeals  = []domain.AppealType{domain.AppealComplaint, domain.AppealComplaint, domain.AppealHelp, domain.AppealReport, domain.AppealSuggestion}
	callerGiven   = []string{"伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "建华", "晓燕", "国平"}
)

// hotlineOrder gives a 12345 case of the history its work order, address
// and caller. It draws nothing from the town's random stream (the rest of
// the town stays as it was): the values follow from the case's index.
func hotlineOrder(c *domain.Case, i int) {
	c.Address, _, _ = strings.Cut(c.Description, "附近：")
	day := c.ReportedAt.In(clock.Location())
	c.Order = &domain.WorkOrder{No: fmt.Sprintf("GD%s%04d", day.Format("20060102"), 1+i%9999), Channel: orderChannels[i%len(orderChannels)],
		AppealType: orderAppeals[(i/3)%len(orderAppeals)], ReplyDue: day.AddDate(0, 0, 7)}
	name := surnames[(i*7)%len(surnames)] + callerGiven[(i*13)%len(callerGiven)]
	phone := fmt.Sprintf("1%d%09d", []int{3, 5, 7, 8, 9}[i%5], (uint64(i)*2654435761+12345)%1_000_000_000)
	c.Callers = []domain.Caller{{Name: name, Phone: phone, At: c.ReportedAt}}
}

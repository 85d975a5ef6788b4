// The login analytics charts (uPlot, served from the gateway's jar). The tables beside them hold the same
// figures and work without JavaScript.
document.addEventListener('DOMContentLoaded', function () {
	var holder = document.getElementById('chart-success');
	if (!holder || typeof uPlot === 'undefined') {
		return;
	}
	var data = JSON.parse(holder.getAttribute('data-chart'));
	var width = Math.min(900, holder.parentElement.clientWidth || 900);
	var target = data.x.map(function () { return data.target; });
	var rate = new uPlot({
		width: width, height: 260,
		scales: { y: { range: [0, 100] } },
		series: [{}, { label: '%', stroke: '#2563eb', width: 2, spanGaps: true },
			{ label: 'target', stroke: '#dc2626', dash: [6, 4], width: 1 }]
	}, [data.x, data.rate, target], holder);
	holder.setAttribute('data-rendered', rate.series.length);
	var share = document.getElementById('chart-share');
	var palette = ['#16a34a', '#2563eb', '#9333ea', '#ea580c', '#0891b2', '#64748b'];
	var series = [{}].concat(data.methods.map(function (m, i) {
		return { label: m, stroke: palette[i % palette.length], width: 2, spanGaps: true };
	}));
	var chart = new uPlot({ width: width, height: 220, scales: { y: { range: [0, 100] } }, series: series },
		[data.x].concat(data.share), share);
	share.setAttribute('data-rendered', chart.series.length);
});

import { App } from 'cdktf';
import { OrdersStack } from './stack';

const app = new App({ outdir: process.env.CDKTF_OUTDIR ?? 'cdktf.out.example' });
new OrdersStack(app, 'orders');
app.synth();

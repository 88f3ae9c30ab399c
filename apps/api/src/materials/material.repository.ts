import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { Material } from '@balai/database';

export type MaterialRecord = Material;

@Injectable()
export class MaterialRepository {
  constructor(@InjectModel(Material.name) private readonly model: Model<Material>) {}

  async create(material: Omit<Material, '_id' | 'createdAt' | 'updatedAt'>): Promise<MaterialRecord> {
    return (await this.model.create(material)).toObject();
  }

  findById(id: string): Promise<MaterialRecord | null> {
    return this.model.findById(id).lean<MaterialRecord>().exec();
  }

  byCourse(courseId: Types.ObjectId): Promise<MaterialRecord[]> {
    return this.model.find({ courseId }).sort({ createdAt: 1, _id: 1 }).lean<MaterialRecord[]>().exec();
  }

  async delete(id: Types.ObjectId): Promise<void> {
    await this.model.deleteOne({ _id: id }).exec();
  }
}
